package main

import (
	"bytes"
	"errors"
	"flag"
	"io"
	"os"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v4"

	"github.com/partnerstack-mcp/partnerstack-mcp/client"
	"github.com/partnerstack-mcp/partnerstack-mcp/httpserve"
	"github.com/partnerstack-mcp/partnerstack-mcp/telemetry"
)

// The deployment examples in deploy/ use only flags and variables the
// binary has, and probe the health endpoints it serves.
func TestDeployExamplesUseRealFlagsAndVariables(t *testing.T) {
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	(&options{}).register(fs)
	knownEnv := map[string]bool{client.EnvPublicKey: true, client.EnvSecretKey: true, client.EnvBaseURL: true,
		telemetry.EnvOTLPEndpoint: true, telemetry.EnvOTLPTracesEndpoint: true}
	fs.VisitAll(func(f *flag.Flag) { knownEnv[envName(f.Name)] = true })
	checkArgs := func(file string, args []string) {
		if len(args) == 0 {
			t.Errorf("%s: a partnerstack-mcp container has no arguments", file)
		}
		for _, a := range args {
			if name, ok := strings.CutPrefix(a, "--"); ok {
				name, _, _ = strings.Cut(name, "=")
				if fs.Lookup(name) == nil {
					t.Errorf("%s: flag --%s does not exist", file, name)
				}
			}
		}
	}
	envRef := regexp.MustCompile(`\b(PARTNERSTACK_[A-Z_]+|OTEL_[A-Z_]+)\b`)
	read := func(file string) []byte {
		raw, err := os.ReadFile("../../deploy/" + file)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range envRef.FindAllString(string(raw), -1) {
			if !knownEnv[m] {
				t.Errorf("%s: %s is not a variable the binary reads", file, m)
			}
		}
		return raw
	}

	var compose struct {
		Services map[string]struct {
			Image       string            `yaml:"image"`
			Command     []string          `yaml:"command"`
			Environment map[string]string `yaml:"environment"`
		} `yaml:"services"`
	}
	if err := yaml.Unmarshal(read("compose.yaml"), &compose); err != nil {
		t.Fatal(err)
	}
	replicas := 0
	for name, s := range compose.Services {
		if s.Image != "partnerstack-mcp" {
			continue
		}
		replicas++
		checkArgs("compose.yaml "+name, s.Command)
		if !strings.HasPrefix(s.Environment["PARTNERSTACK_DEDUPE_STORE"], "redis://") {
			t.Errorf("compose.yaml %s: the replicas must share the guard on Valkey", name)
		}
	}
	if replicas != 2 || compose.Services["valkey"].Image == "" || compose.Services["proxy"].Image == "" {
		t.Errorf("compose.yaml: %d replicas; want 2, plus valkey and a proxy", replicas)
	}
	caddy := string(read("Caddyfile"))
	if !strings.Contains(caddy, "health_uri "+httpserve.ReadyPath) || !strings.Contains(caddy, "mcp-1:8080 mcp-2:8080") {
		t.Errorf("Caddyfile: the proxy must balance both replicas on %s", httpserve.ReadyPath)
	}

	type probe struct {
		HTTPGet struct {
			Path string `yaml:"path"`
		} `yaml:"httpGet"`
	}
	dec := yaml.NewDecoder(bytes.NewReader(read("kubernetes.yaml")))
	containers := 0
	for {
		var doc struct {
			Kind string `yaml:"kind"`
			Spec struct {
				Replicas int `yaml:"replicas"`
				Template struct {
					Spec struct {
						Containers []struct {
							Name           string   `yaml:"name"`
							Args           []string `yaml:"args"`
							ReadinessProbe probe    `yaml:"readinessProbe"`
							LivenessProbe  probe    `yaml:"livenessProbe"`
						} `yaml:"containers"`
					} `yaml:"spec"`
				} `yaml:"template"`
			} `yaml:"spec"`
		}
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range doc.Spec.Template.Spec.Containers {
			if c.Name != "partnerstack-mcp" {
				continue
			}
			containers++
			checkArgs("kubernetes.yaml", c.Args)
			if c.ReadinessProbe.HTTPGet.Path != httpserve.ReadyPath || c.LivenessProbe.HTTPGet.Path != httpserve.HealthPath {
				t.Errorf("kubernetes.yaml: probes on %q and %q, want %s and %s", c.ReadinessProbe.HTTPGet.Path, c.LivenessProbe.HTTPGet.Path, httpserve.ReadyPath, httpserve.HealthPath)
			}
			if doc.Spec.Replicas < 2 {
				t.Errorf("kubernetes.yaml: %d replicas, want at least 2", doc.Spec.Replicas)
			}
		}
	}
	if containers != 1 {
		t.Errorf("kubernetes.yaml: %d partnerstack-mcp containers, want 1", containers)
	}
}
