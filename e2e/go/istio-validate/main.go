// istio-validate runs Istio's own configuration validation — the code istiod's validating
// webhook runs (istio.io/istio/pkg/webhooks/validation/server) — on multi-document YAML read
// from the files named as arguments, or from stdin when there are none. It prints one JSON
// object per line for every document:
//
//	{"source":"a.yaml","index":0,"kind":"ServiceEntry","namespace":"ns","name":"n","errors":[],"warnings":[]}
//
// and exits 0 when no document has errors, 1 when some have, 2 when it cannot read its input.
// Kinds Istio does not know are reported as an error, as the webhook does.
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	multierror "github.com/hashicorp/go-multierror"
	kubeyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"

	"istio.io/istio/pilot/pkg/config/kube/crd"
	"istio.io/istio/pkg/config/schema/collection"
	"istio.io/istio/pkg/config/schema/collections"
	"istio.io/istio/pkg/config/schema/resource"
)

// The webhook's domain suffix (istiod's --domain default).
const domainSuffix = "cluster.local"

// Top-level fields the webhook accepts (server.go's validFields).
var validFields = map[string]bool{"apiVersion": true, "kind": true, "metadata": true, "spec": true, "status": true}

type result struct {
	Source    string   `json:"source"`
	Index     int      `json:"index"`
	Kind      string   `json:"kind"`
	Namespace string   `json:"namespace"`
	Name      string   `json:"name"`
	Errors    []string `json:"errors"`
	Warnings  []string `json:"warnings"`
}

func messages(err error) []string {
	if err == nil {
		return []string{}
	}
	var me *multierror.Error
	if errors.As(err, &me) {
		out := make([]string, 0, len(me.Errors))
		for _, e := range me.Errors {
			out = append(out, e.Error())
		}
		return out
	}
	return []string{err.Error()}
}

// validate mirrors Webhook.validate: decode, find the schema by group and kind, convert,
// ValidateConfig, then the top-level field check.
func validate(schemas collection.Schemas, raw []byte, r *result) {
	var obj crd.IstioKind
	if err := json.Unmarshal(raw, &obj); err != nil {
		r.Errors = []string{fmt.Sprintf("cannot decode configuration: %v", err)}
		return
	}
	r.Kind, r.Namespace, r.Name = obj.Kind, obj.Namespace, obj.Name
	gvk := obj.GroupVersionKind()
	s, ok := schemas.FindByGroupKind(resource.FromKubernetesGVK(&gvk))
	if !ok {
		r.Errors = []string{fmt.Sprintf("unrecognized type %v", gvk)}
		return
	}
	cfg, err := crd.ConvertObject(s, &obj, domainSuffix)
	if err != nil {
		r.Errors = []string{fmt.Sprintf("error decoding configuration: %v", err)}
		return
	}
	warnings, err := s.ValidateConfig(*cfg)
	r.Errors, r.Warnings = messages(err), messages(warnings)
	fields := map[string]json.RawMessage{}
	if err := json.Unmarshal(raw, &fields); err != nil {
		r.Errors = append(r.Errors, fmt.Sprintf("cannot decode configuration fields: %v", err))
		return
	}
	for key := range fields {
		if !validFields[key] {
			r.Errors = append(r.Errors, fmt.Sprintf("unknown field %q", key))
		}
	}
}

func run(schemas collection.Schemas, source string, in io.Reader, out *json.Encoder) (bool, error) {
	reader := kubeyaml.NewYAMLReader(bufio.NewReader(in))
	clean := true
	for index := 0; ; {
		doc, err := reader.Read()
		if errors.Is(err, io.EOF) {
			return clean, nil
		}
		if err != nil {
			return false, fmt.Errorf("%s: %w", source, err)
		}
		raw, err := yaml.YAMLToJSON(doc)
		if err != nil {
			return false, fmt.Errorf("%s document %d: %w", source, index, err)
		}
		if string(raw) == "null" {
			continue
		}
		r := result{Source: source, Index: index, Errors: []string{}, Warnings: []string{}}
		validate(schemas, raw, &r)
		clean = clean && len(r.Errors) == 0
		if err := out.Encode(r); err != nil {
			return false, err
		}
		index++
	}
}

func main() {
	schemas := collections.PilotGatewayAPI()
	out := json.NewEncoder(os.Stdout)
	clean := true
	sources := os.Args[1:]
	if len(sources) == 0 {
		sources = []string{"-"}
	}
	for _, source := range sources {
		in := io.Reader(os.Stdin)
		if source != "-" {
			file, err := os.Open(source)
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(2)
			}
			defer file.Close()
			in = file
		}
		ok, err := run(schemas, source, in, out)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		clean = clean && ok
	}
	if !clean {
		os.Exit(1)
	}
}
