package assets

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"image/png"
	"os"
	"strings"
	"testing"
)

func TestIconSVG(t *testing.T) {
	var svg struct {
		XMLName xml.Name
		ViewBox string `xml:"viewBox,attr"`
	}
	if err := xml.Unmarshal(iconSVG, &svg); err != nil || svg.XMLName.Local != "svg" || svg.ViewBox != "0 0 512 512" {
		t.Fatalf("icon.svg: %v, root %q, viewBox %q; want an <svg> of 0 0 512 512", err, svg.XMLName.Local, svg.ViewBox)
	}
	// It rides in every initialize answer: keep it small.
	if len(iconSVG) > 2048 {
		t.Errorf("icon.svg is %d bytes; keep it under 2 KiB (or serve the icon by URL)", len(iconSVG))
	}
	icons := Icons()
	if len(icons) != 1 || icons[0].MIMEType != "image/svg+xml" {
		t.Fatalf("icons %+v", icons)
	}
	raw, ok := strings.CutPrefix(icons[0].Src, "data:image/svg+xml;base64,")
	if !ok {
		t.Fatalf("src %.40q is not an SVG data URI", icons[0].Src)
	}
	if got, err := base64.StdEncoding.DecodeString(raw); err != nil || !bytes.Equal(got, iconSVG) {
		t.Errorf("the data URI does not decode to icon.svg (%v)", err)
	}
}

// manifest.json (the .mcpb bundles) shows the PNG.
func TestManifestIcon(t *testing.T) {
	raw, err := os.ReadFile("../manifest.json")
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Icon string `json:"icon"`
	}
	if err := json.Unmarshal(raw, &m); err != nil || m.Icon != "assets/icon.png" {
		t.Errorf("manifest.json icon %q (%v), want assets/icon.png", m.Icon, err)
	}
}

func TestIconPNG(t *testing.T) {
	f, err := os.Open("icon.png")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("icon.png: %v", err)
	}
	if b := img.Bounds(); b.Dx() != 512 || b.Dy() != 512 {
		t.Errorf("icon.png is %dx%d, want 512x512", b.Dx(), b.Dy())
	}
	// Rendered, not blank: the centre (the stack's top) is white, a corner is transparent.
	if _, _, _, a := img.At(0, 0).RGBA(); a != 0 {
		t.Errorf("the corner is not transparent (alpha %d): the rounded square is missing", a)
	}
	if r, g, b, _ := img.At(256, 150).RGBA(); r>>8 < 240 || g>>8 < 240 || b>>8 < 240 {
		t.Errorf("pixel (256,150) is %d,%d,%d; want the white top layer", r>>8, g>>8, b>>8)
	}
}
