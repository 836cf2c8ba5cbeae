package vault_test

import (
	"path/filepath"
	"testing"

	"github.com/blotterapp/blotter/internal/vault"
)

func mustVault(t *testing.T) (*vault.Vault, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "vault")
	v, err := vault.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	return v, dir
}

// tmpFiles lists what an ingest left in the vault's temp folder.
func tmpFiles(t *testing.T, dir string) []string {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(dir, "tmp", "*"))
	if err != nil {
		t.Fatal(err)
	}
	return names
}

// unnamed says no record names the content, as for a refused entry.
func unnamed(string) (bool, error) { return false, nil }
