package console

import (
	"bytes"
	"html/template"
	"net/http"
	"strings"
	"unicode/utf8"
)

// badge serves /badge/NAME.svg without sign-in: the status of the pipeline's latest
// execution as an SVG for READMEs, only for pipelines whose operator turned the badge on
// (service.BadgeTag). Any other name is the same 404, so the badge does not tell which
// pipelines exist. Browsers and README proxies revalidate it on each view (no-cache).
func (c *Console) badge(w http.ResponseWriter, r *http.Request) {
	name, ok := strings.CutSuffix(r.PathValue("file"), ".svg")
	if !ok || name == "" {
		http.NotFound(w, r)
		return
	}
	status, ok, err := c.Service.BadgeStatus(r.Context(), name)
	if err != nil {
		c.Log.Error("console: read a badge's status", "pipeline", name, "err", err)
		http.Error(w, "The badge could not be read; the server's log says why.", http.StatusInternalServerError)
		return
	}
	if !ok {
		http.NotFound(w, r)
		return
	}
	var buf bytes.Buffer
	if err := badgeSVG.Execute(&buf, newBadge("pipeline", status)); err != nil {
		c.Log.Error("console: draw a badge", "err", err)
		http.Error(w, "The badge could not be drawn.", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "image/svg+xml; charset=utf-8")
	h.Set("Cache-Control", "no-cache, max-age=0")
	_, _ = buf.WriteTo(w)
}

// badgeData is one badge: a grey label, then the status on its colour. Widths are
// estimated from the number of characters (the font is the viewer's).
type badgeData struct {
	Label, Status, Colour string
	LabelW, StatusW       int
}

func (b badgeData) Width() int   { return b.LabelW + b.StatusW }
func (b badgeData) LabelX() int  { return b.LabelW / 2 }
func (b badgeData) StatusX() int { return b.LabelW + b.StatusW/2 }

// newBadge measures and colours a badge; a pipeline that never ran says so in grey.
func newBadge(label, status string) badgeData {
	colour := map[string]string{"ok": "#1a7f37", "bad": "#cf222e", "run": "#0969da"}[statusClass(status)]
	if colour == "" {
		colour = "#6e7681"
	}
	if status == "" {
		status = "no runs"
	}
	width := func(s string) int { return 7*utf8.RuneCountInString(s) + 12 }
	return badgeData{Label: label, Status: status, Colour: colour, LabelW: width(label), StatusW: width(status)}
}

// badgeSVG is parsed as HTML so the names it holds are escaped; SVG inside HTML keeps
// attribute and text escaping right for the standalone file too.
var badgeSVG = template.Must(template.New("badge").Parse(`<svg xmlns="http://www.w3.org/2000/svg" width="{{.Width}}" height="20" role="img" aria-label="{{.Label}}: {{.Status}}">` +
	`<title>{{.Label}}: {{.Status}}</title>` +
	`<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>` +
	`<clipPath id="r"><rect width="{{.Width}}" height="20" rx="3" fill="#fff"/></clipPath>` +
	`<g clip-path="url(#r)"><rect width="{{.LabelW}}" height="20" fill="#555"/><rect x="{{.LabelW}}" width="{{.StatusW}}" height="20" fill="{{.Colour}}"/><rect width="{{.Width}}" height="20" fill="url(#s)"/></g>` +
	`<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">` +
	`<text x="{{.LabelX}}" y="14">{{.Label}}</text><text x="{{.StatusX}}" y="14">{{.Status}}</text></g></svg>`))
