package client

import (
	"crypto/hmac"
	"crypto/sha256"
)

// SigningKey derives a key for purpose from the client's API keys, so what
// the server hands out and takes back (an insight's resume token) can be
// checked on any replica configured with the same account, and forged by no
// one without its secret. The keys themselves never leave the client.
func (c *Client) SigningKey(purpose string) []byte {
	m := hmac.New(sha256.New, []byte(c.cfg.SecretKey))
	m.Write([]byte("partnerstack-mcp\x00" + purpose + "\x00" + c.cfg.PublicKey))
	return m.Sum(nil)
}
