package faults

import (
	"io"
	"math/rand/v2"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// proxy is the one address in front of the replicas, as a load balancer would be: each
// connection goes to a replica that accepts it, tried in a random order, for up to a minute
// while none does (a lone server being restarted). The remote worker talks to it, so it
// reaches whichever replica is up; a killed replica breaks its connections and the
// worker's next request goes elsewhere.
type proxy struct {
	Addr     string
	backends []string
	ln       net.Listener
	wg       sync.WaitGroup
}

func startProxy(t *testing.T, backends []string) *proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	p := &proxy{Addr: ln.Addr().String(), backends: backends, ln: ln}
	p.wg.Add(1)
	go p.serve()
	t.Cleanup(func() { ln.Close(); p.wg.Wait() })
	return p
}

func (p *proxy) serve() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		go p.forward(c)
	}
}

func (p *proxy) forward(c net.Conn) {
	defer c.Close()
	b := p.dial()
	if b == nil {
		return
	}
	defer b.Close()
	done := make(chan struct{}, 2)
	pipe := func(dst, src net.Conn) {
		_, _ = io.Copy(dst, src)
		if tc, ok := dst.(*net.TCPConn); ok {
			_ = tc.CloseWrite()
		}
		done <- struct{}{}
	}
	go pipe(b, c)
	go pipe(c, b)
	<-done
	<-done
}

func (p *proxy) dial() net.Conn {
	for i := 0; i < 1200; i++ {
		for _, k := range rand.Perm(len(p.backends)) {
			if b, err := net.DialTimeout("tcp", p.backends[k], time.Second); err == nil {
				return b
			}
		}
		time.Sleep(50 * time.Millisecond) // every replica is down: wait for one to come back
	}
	return nil
}
