package console

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"net"
	"net/http"
	"net/url"
	"strings"

	"sluice"
	"sluice/audit"
)

// cookieName holds the session's token; the __Host- prefix (over TLS) pins it to this
// origin and path.
const cookieName = "sluice_session"

// session is the signed-in user of one request.
type session struct {
	token  string
	caller sluice.Caller
	info   *sluice.ConsoleSession
}

// CSRF is the token every form of this session posts: derived from the session's token,
// so nothing more is stored, and useless without the cookie it is derived from.
func (s *session) CSRF() string {
	m := hmac.New(sha256.New, []byte(s.token))
	m.Write([]byte("sluice console csrf"))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// Principal is the signed-in principal's ARN.
func (s *session) Principal() string { return s.caller.Principal }

// User is how the page names the signed-in principal.
func (s *session) User() string {
	p := s.caller.Principal
	if i := strings.LastIndexByte(p, ':'); i >= 0 {
		p = p[i+1:]
	}
	return p
}

func (c *Console) cookie(r *http.Request) string {
	ck, err := r.Cookie(c.cookieName())
	if err != nil {
		return ""
	}
	return ck.Value
}

func (c *Console) cookieName() string {
	if c.TLS {
		return "__Host-" + cookieName
	}
	return cookieName
}

func (c *Console) setCookie(w http.ResponseWriter, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: c.cookieName(), Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: c.TLS, SameSite: http.SameSiteStrictMode})
}

// sessionOf returns the request's session, or nil when it has none that is valid.
func (c *Console) sessionOf(r *http.Request) *session {
	token := c.cookie(r)
	if token == "" {
		return nil
	}
	who, info, err := c.Service.ConsoleCaller(r.Context(), token, caller(r))
	if err != nil {
		if sluice.ErrorCode(err) != sluice.EAccessDenied {
			c.Log.Error("console: read a session", "err", err)
		}
		return nil
	}
	return &session{token: token, caller: who, info: info}
}

// page wraps a GET handler: without a session it sends the browser to sign in, then back.
func (c *Console) page(h func(http.ResponseWriter, *http.Request, *session)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := c.sessionOf(r)
		if s == nil {
			if r.Header.Get("Accept") == "text/event-stream" {
				http.Error(w, "sign in", http.StatusUnauthorized)
				return
			}
			http.Redirect(w, r, "/signin?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		h(w, r, s)
	})
}

// form wraps a POST handler: it needs a session and the session's CSRF token in the form.
// The form is read within a bound; a post without the token changes nothing.
func (c *Console) form(h func(http.ResponseWriter, *http.Request, *session)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, maxForm)
		s := c.sessionOf(r)
		if s == nil {
			c.errorPage(w, r, nil, http.StatusForbidden, "Your session has ended. Sign in again, then repeat what you did.")
			return
		}
		if err := r.ParseForm(); err != nil {
			c.errorPage(w, r, s, http.StatusBadRequest, "The form could not be read: "+err.Error())
			return
		}
		if subtle.ConstantTimeCompare([]byte(r.PostForm.Get("csrf")), []byte(s.CSRF())) != 1 {
			c.errorPage(w, r, s, http.StatusForbidden, "The form was refused: its security token is missing or stale. Reload the page and try again.")
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		h(w, r, s)
	})
}

// maxForm bounds a posted form: the largest is a pipeline definition (AWS's limit is 1 MB).
const maxForm = 2 << 20

func (c *Console) signInPage(w http.ResponseWriter, r *http.Request) {
	if c.sessionOf(r) != nil {
		http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	c.render(w, r, nil, http.StatusOK, "signin", signInData{Next: safeNext(r.URL.Query().Get("next"))})
}

type signInData struct {
	Next, KeyID, Error string
}

// signIn checks the key and starts a session. Sign-ins, failed ones too, are in the audit
// trail as CloudTrail records them: ConsoleLogin from signin.amazonaws.com.
func (c *Console) signIn(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		c.errorPage(w, r, nil, http.StatusBadRequest, "The form could not be read: "+err.Error())
		return
	}
	keyID, secret, next := strings.TrimSpace(r.PostForm.Get("access_key_id")), r.PostForm.Get("secret_access_key"), safeNext(r.PostForm.Get("next"))
	who := caller(r)
	who.AccessKeyID = keyID
	call := audit.Call{Source: "signin.amazonaws.com", Name: "ConsoleLogin", EventType: "AwsConsoleSignIn",
		Region: c.Service.Region(), Account: c.Service.Account(), Caller: who}
	k, err := c.Service.CheckSignIn(r.Context(), keyID, secret)
	if err == nil {
		call.Caller.Principal = k.Principal
	} else {
		// As CloudTrail: a failed sign-in does not say whose key was tried.
		call.Identity = &sluice.AuditIdentity{Type: "IAMUser", AccountID: c.Service.Account(), UserName: "HIDDEN_DUE_TO_SECURITY_REASONS"}
	}
	ctx, rec := audit.Begin(r.Context(), call)
	var (
		token string
		sess  *sluice.ConsoleSession
	)
	if err == nil {
		token, sess, err = c.Service.SignIn(ctx, k, c.SessionTTL)
	}
	result, msg := json.RawMessage(`{"ConsoleLogin":"Success"}`), ""
	if err != nil {
		result, msg = json.RawMessage(`{"ConsoleLogin":"Failure"}`), "Failed authentication"
	}
	if aerr := audit.End(background(r), c.Service, rec, result, "", msg); aerr != nil {
		c.Log.Error("console: record a sign-in", "err", aerr)
	}
	if err != nil {
		if sluice.ErrorCode(err) != sluice.EAccessDenied {
			c.Log.Error("console: sign in", "err", err)
		}
		c.render(w, r, nil, http.StatusUnauthorized, "signin", signInData{Next: next, KeyID: keyID, Error: errorText(err)})
		return
	}
	c.setCookie(w, token, int(sess.Expires.Sub(sess.Created).Seconds()))
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (c *Console) signOut(w http.ResponseWriter, r *http.Request, s *session) {
	if err := c.Service.SignOut(background(r), s.token); err != nil {
		c.Log.Error("console: sign out", "err", err)
	}
	c.setCookie(w, "", -1)
	http.Redirect(w, r, "/signin", http.StatusSeeOther)
}

// safeNext keeps a return address on this site: a path, never another origin.
func safeNext(next string) string {
	if next == "" || next[0] != '/' || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}

func remoteIP(remote string) string {
	if host, _, err := net.SplitHostPort(remote); err == nil {
		return host
	}
	return remote
}
