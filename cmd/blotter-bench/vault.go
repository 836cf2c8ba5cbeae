package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/blotterapp/blotter/internal/childproc"
)

// benchVault times `blotter attach` of a large random file against `sha256sum` plus `cp` of the
// same file, both reading it from the page cache, and reports blotter's peak RSS.
func benchVault(ctx context.Context, cfg *config) error {
	size := int64(cfg.vaultGiB * (1 << 30))
	src := filepath.Join(cfg.dir, "evidence.bin")
	if err := writeRandom(src, size); err != nil {
		return err
	}
	defer os.Remove(src)

	start := time.Now()
	if out, err := exec.CommandContext(ctx, "sha256sum", src).CombinedOutput(); err != nil {
		return fmt.Errorf("sha256sum: %v %s", err, out)
	}
	if out, err := exec.CommandContext(ctx, "cp", src, filepath.Join(cfg.dir, "copy.bin")).CombinedOutput(); err != nil {
		return fmt.Errorf("cp: %v %s", err, out)
	}
	base := time.Since(start)
	os.Remove(filepath.Join(cfg.dir, "copy.bin"))

	data := filepath.Join(cfg.dir, "vault-data")
	if out, err := exec.CommandContext(ctx, cfg.binary, "--data-dir", data, "incident", "new", "vault bench").CombinedOutput(); err != nil {
		return fmt.Errorf("incident new: %v %s", err, out)
	}
	start = time.Now()
	cmd := exec.CommandContext(ctx, cfg.binary, "--data-dir", data, "attach", src)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	peak, err := childproc.PeakMemory(cmd)
	if err != nil {
		return fmt.Errorf("attach: %v %s", err, out.Bytes())
	}
	took := time.Since(start)
	defer os.RemoveAll(data)

	sizeMiB := mib(size)
	fmt.Printf("vault: sha256sum + cp            %7.0f MiB/s  (%s)\n", sizeMiB/base.Seconds(), base.Round(time.Millisecond))
	fmt.Printf("vault: blotter attach            %7.0f MiB/s  (%s, peak RSS %.1f MiB, goal < 64 MiB)\n", sizeMiB/took.Seconds(), took.Round(time.Millisecond), mib(peak))
	fmt.Printf("vault: ratio blotter/baseline speed = %.2fx (goal >= 0.8x)\n", base.Seconds()/took.Seconds())
	return nil
}

func writeRandom(path string, size int64) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	w := bufio.NewWriterSize(f, 1<<20)
	rng := rand.New(rand.NewPCG(3, 4))
	buf := make([]byte, 1<<20)
	for written := int64(0); written < size; written += int64(len(buf)) {
		for i := 0; i+8 <= len(buf); i += 8 {
			v := rng.Uint64()
			buf[i], buf[i+1], buf[i+2], buf[i+3], buf[i+4], buf[i+5], buf[i+6], buf[i+7] =
				byte(v), byte(v>>8), byte(v>>16), byte(v>>24), byte(v>>32), byte(v>>40), byte(v>>48), byte(v>>56)
		}
		if _, err := w.Write(buf[:min(int64(len(buf)), size-written)]); err != nil {
			return err
		}
	}
	return w.Flush()
}
