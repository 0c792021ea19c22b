// Package assets holds the server's icon. icon.svg is drawn by hand and is
// embedded: the initialize answer carries it as a data: URI (about 1 KB), so
// a host shows it with no network fetch and always the version it runs.
// icon.png is the same drawing at 512×512 for manifest.json (.mcpb bundles
// take only a local PNG) and the README; regenerate it after editing the SVG:
//
//	rsvg-convert -w 512 -h 512 assets/icon.svg -o assets/icon.png
package assets

import (
	_ "embed"
	"encoding/base64"

	"github.com/mark3labs/mcp-go/mcp"
)

//go:embed icon.svg
var iconSVG []byte

// Icons lists the server's icons for the initialize answer (server.WithIcons).
func Icons() []mcp.Icon {
	return []mcp.Icon{{
		Src:      "data:image/svg+xml;base64," + base64.StdEncoding.EncodeToString(iconSVG),
		MIMEType: "image/svg+xml",
		Sizes:    []string{"any"},
	}}
}
