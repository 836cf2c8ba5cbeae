package recorder

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/capture"
)

// SettingHotkeys holds the hotkeys the user changed: a JSON map of action to combo.
const SettingHotkeys = "hotkeys"

// Hotkeys returns the global hotkey of each action: the defaults, with the user's changes.
func (r *Recorder) Hotkeys(ctx context.Context) (map[string]capture.Combo, error) {
	names := map[string]string{}
	for a, c := range capture.DefaultHotkeys {
		names[a] = c
	}
	v, err := r.db.Setting(ctx, SettingHotkeys)
	if err != nil {
		return nil, err
	}
	if v != "" {
		var changed map[string]string
		if err := json.Unmarshal([]byte(v), &changed); err != nil {
			return nil, fmt.Errorf("hotkeys setting: %w", err)
		}
		for a, c := range changed {
			names[a] = c
		}
	}
	combos := map[string]capture.Combo{}
	for a, name := range names {
		c, err := capture.ParseCombo(name)
		if err != nil {
			return nil, err
		}
		combos[a] = c
	}
	return combos, nil
}

// SetHotkey changes the combo of an action. Returns EINVALID for an unknown action, a combo
// that cannot be read, or one another action has.
func (r *Recorder) SetHotkey(ctx context.Context, action, combo string) (capture.Combo, error) {
	if _, ok := capture.DefaultHotkeys[action]; !ok {
		return capture.Combo{}, blotter.Errorf(blotter.EINVALID, "no hotkey action %q (known: %s)", action, HotkeyActions())
	}
	c, err := capture.ParseCombo(combo)
	if err != nil {
		return capture.Combo{}, err
	}
	all, err := r.Hotkeys(ctx)
	if err != nil {
		return capture.Combo{}, err
	}
	for a, other := range all {
		if a != action && other == c {
			return capture.Combo{}, blotter.Errorf(blotter.EINVALID, "%s is the %s hotkey already", c, a)
		}
	}
	all[action] = c
	names := map[string]string{}
	for a, c := range all {
		names[a] = c.String()
	}
	b, _ := json.Marshal(names)
	return c, r.db.SetSetting(ctx, SettingHotkeys, string(b))
}

// HotkeyActions lists the actions a hotkey can have, sorted.
func HotkeyActions() string {
	actions := make([]string, 0, len(capture.DefaultHotkeys))
	for a := range capture.DefaultHotkeys {
		actions = append(actions, a)
	}
	sort.Strings(actions)
	return fmt.Sprint(actions)
}
