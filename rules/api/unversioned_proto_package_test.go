package api_test

import (
	"testing"

	"github.com/decouplehq/decouple/rules/api"
	"github.com/decouplehq/decouple/rules/ruletest"
)

func TestUnversionedProtoPackage(t *testing.T) { ruletest.Run(t, api.UnversionedProtoPackage) }

func TestProtoPackageVersioned(t *testing.T) {
	for pkg, want := range map[string]bool{
		"foo.v1": true, "foo.v1beta1": true, "foo.v1p1beta1": true, "foo.v1test": true, "foo.v2alpha": true,
		"a.b.v10": true, "foo.v1testfoo": true,
		"v1": false, "foo": false, "foo.v0": false, "foo.v1.resources": false, "foo.v00": false,
		"foo.version1": false, "foo.v1x": false, "foo.V1": false, "": false, "foo.v1p1": false,
	} {
		if got := api.ProtoPackageVersioned(pkg); got != want {
			t.Errorf("ProtoPackageVersioned(%q) = %v, want %v", pkg, got, want)
		}
	}
}
