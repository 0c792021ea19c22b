package profiletest

import (
	"slices"
	"testing"

	"github.com/partnerstack-mcp/partnerstack-mcp/client/sandbox"
)

func TestRunCoversEveryProfile(t *testing.T) {
	t.Setenv(EnvProfile, "")
	var seen []sandbox.Profile
	Run(t, func(t *testing.T, p sandbox.Profile) {
		seen = append(seen, p)
		if Of(t) != p {
			t.Errorf("Of = %q inside the %q subtest", Of(t), p)
		}
		t.Run("nested", func(t *testing.T) {
			if Of(t) != p || New(t, sandbox.Options{Empty: true}).Profile() != p {
				t.Errorf("nested subtest of %q sees %q", p, Of(t))
			}
		})
		if got := New(t, sandbox.Options{Empty: true, Profile: sandbox.ProfileDefault}).Profile(); got != sandbox.ProfileDefault {
			t.Errorf("an explicit profile was overridden: %q", got)
		}
	})
	if !slices.Equal(seen, sandbox.Profiles()) {
		t.Fatalf("ran %v, want %v", seen, sandbox.Profiles())
	}
	if Of(t) != sandbox.ProfileDefault {
		t.Fatalf("outside Run: %q", Of(t))
	}
}

func TestEnvNarrowsToOneProfile(t *testing.T) {
	t.Setenv(EnvProfile, "strict")
	var seen []sandbox.Profile
	Run(t, func(t *testing.T, p sandbox.Profile) { seen = append(seen, p) })
	if !slices.Equal(seen, []sandbox.Profile{sandbox.ProfileStrict}) {
		t.Fatalf("ran %v", seen)
	}
}

func TestPendingSkipsOnlyStrict(t *testing.T) {
	t.Setenv(EnvProfile, "")
	t.Setenv(EnvRunPending, "")
	ran := map[sandbox.Profile]bool{}
	Run(t, func(t *testing.T, p sandbox.Profile) {
		Pending(t, p, "nothing (a test of Pending)")
		ran[p] = true
	})
	if !ran[sandbox.ProfileDefault] || ran[sandbox.ProfileStrict] {
		t.Fatalf("ran %v", ran)
	}
}
