package cli

import (
	"context"
	"io"
)

// ExitInterrupted is the exit code of a command stopped by Ctrl+C or SIGTERM (128 + SIGINT, as
// shells report it). What it stored before stays stored.
const ExitInterrupted = 130

// interruptible returns a reader whose Read gives up when ctx ends, so that a command waiting
// for input on a pipe or a terminal stops at Ctrl+C. A read the system is blocked in cannot be
// cancelled, so it runs on a goroutine that is left behind when the command ends.
func interruptible(ctx context.Context, r io.Reader) io.Reader {
	return &ctxReader{ctx: ctx, r: r}
}

type ctxReader struct {
	ctx     context.Context
	r       io.Reader
	pending chan readResult // a read under way
	left    []byte          // what a read gave beyond what its caller could take
	err     error           // the error that came with left
}

type readResult struct {
	b   []byte
	err error
}

func (c *ctxReader) Read(p []byte) (int, error) {
	if len(c.left) > 0 {
		n := copy(p, c.left)
		c.left = c.left[n:]
		if len(c.left) == 0 {
			return n, c.err
		}
		return n, nil
	}
	if c.err != nil {
		return 0, c.err
	}
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	if c.pending == nil {
		ch := make(chan readResult, 1)
		buf := make([]byte, len(p))
		go func() {
			n, err := c.r.Read(buf)
			ch <- readResult{buf[:n], err}
		}()
		c.pending = ch
	}
	select {
	case res := <-c.pending:
		c.pending = nil
		n := copy(p, res.b)
		if n < len(res.b) {
			c.left, c.err = res.b[n:], res.err
			return n, nil
		}
		return n, res.err
	case <-c.ctx.Done():
		return 0, c.ctx.Err()
	}
}
