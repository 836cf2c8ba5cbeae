package screen

import "testing"

var twoScreens = []Monitor{
	{Name: "LEFT", X: 0, Y: 0, Width: 1600, Height: 900, Primary: true},
	{Name: "RIGHT", X: 1600, Y: 0, Width: 3840, Height: 2160},
}

func TestPickFallsBackToThePrimary(t *testing.T) {
	if m, _ := Pick(twoScreens, "RIGHT"); m.Name != "RIGHT" {
		t.Fatalf("Pick(RIGHT) = %s", m.Name)
	}
	if m, _ := Pick(twoScreens, "HDMI-9"); m.Name != "LEFT" {
		t.Fatalf("a screen that is gone: Pick = %s, want the primary", m.Name)
	}
	noPrimary := []Monitor{{Name: "A"}, {Name: "B"}}
	if m, _ := Pick(noPrimary, ""); m.Name != "A" {
		t.Fatalf("no primary: Pick = %s, want the first", m.Name)
	}
	if _, ok := Pick(nil, "A"); ok {
		t.Fatal("Pick found a screen in an empty list")
	}
}

func TestAt(t *testing.T) {
	if m, _ := At(twoScreens, 2000, 1500); m.Name != "RIGHT" {
		t.Fatalf("At(2000,1500) = %s", m.Name)
	}
	if m, _ := At(twoScreens, 1599, 899); m.Name != "LEFT" {
		t.Fatalf("At(1599,899) = %s", m.Name)
	}
	if m, _ := At(twoScreens, 1000, 1500); m.Name != "LEFT" {
		t.Fatalf("a point on no screen: At = %s, want the primary", m.Name)
	}
}

func TestBoxUnderThePointer(t *testing.T) {
	m := Monitor{Name: "RIGHT", X: 1600, Width: 1600, Height: 900}
	for _, tt := range []struct {
		x, y int
		want Rect
	}{
		{2400, 450, Rect{X: 2080, Y: 406, W: 640, H: 176}}, // centred on the pointer
		{1610, 10, Rect{X: 1600, Y: 0, W: 640, H: 176}},    // kept on the monitor, top left
		{3190, 890, Rect{X: 2560, Y: 724, W: 640, H: 176}}, // and bottom right
	} {
		if got := BoxRectAt(m, tt.x, tt.y, 640, 176); got != tt.want {
			t.Errorf("BoxRectAt(%d, %d) = %+v, want %+v", tt.x, tt.y, got, tt.want)
		}
	}
}

func TestSideAndBoxRects(t *testing.T) {
	if r := SideRect(twoScreens[1], EdgeRight, 420); r != (Rect{X: 1600 + 3840 - 420, Y: 0, W: 420, H: 2160}) {
		t.Fatalf("right edge of the 4K screen: %+v", r)
	}
	if r := SideRect(twoScreens[1], EdgeLeft, 420); r != (Rect{X: 1600, Y: 0, W: 420, H: 2160}) {
		t.Fatalf("left edge of the 4K screen: %+v", r)
	}
	narrow := Monitor{Width: 300, Height: 600}
	if r := SideRect(narrow, EdgeRight, 420); r.W != 300 || r.X != 0 {
		t.Fatalf("a screen narrower than the side window: %+v", r)
	}
	if r := BoxRect(twoScreens[0], 640, 176); r != (Rect{X: 480, Y: 180, W: 640, H: 176}) {
		t.Fatalf("box on the left screen: %+v", r)
	}
}
