// crdcheck checks Meridian's CRDs with the API server's own code, without running a server:
//
//  1. the CRD is validated as kube-apiserver validates a CRD on create (structural schema, CEL
//     compilation and CEL cost budget included);
//  2. each fixture object goes through the pipeline a custom-resource create goes through: pruning,
//     dropping non-nullable nulls, defaulting, schema validation, list-type validation and, unless a
//     blocking error was found, the CEL rules.
//
// Usage: go run . CRD.yaml [FIXTURES.yaml] [-dump]
//
// Without -dump it checks each fixture's expectation (valid, or an error at `field` containing
// `message`) and exits 1 on any mismatch. With -dump it prints every object's errors and defaulted
// object as JSON, which is how crds/README.md's cross-check against random objects was done.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	apiextensions "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	crdvalidation "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/validation"
	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/schema/cel"
	structuraldefaulting "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/defaulting"
	structurallisttype "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/listtype"
	structuralpruning "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/pruning"
	apiservervalidation "k8s.io/apiextensions-apiserver/pkg/apiserver/validation"
	"k8s.io/apimachinery/pkg/api/validation"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	utiljson "k8s.io/apimachinery/pkg/util/json"
	"k8s.io/apimachinery/pkg/util/validation/field"
	celconfig "k8s.io/apiserver/pkg/apis/cel"
	"sigs.k8s.io/yaml"
)

type fixture struct {
	Name       string                 `json:"name"`
	Valid      bool                   `json:"valid"`
	RejectedBy string                 `json:"rejectedBy"`
	Field      string                 `json:"field"`
	Message    string                 `json:"message"`
	Object     map[string]interface{} `json:"object"`
}

type result struct {
	Name      string                 `json:"name"`
	Errors    []string               `json:"errors"`
	Defaulted map[string]interface{} `json:"defaulted"`
}

type checker struct {
	crd        *apiextensions.CustomResourceDefinition
	structural *structuralschema.Structural
	schema     apiservervalidation.SchemaValidator
	cel        *cel.Validator
	namespaced bool
}

func must(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
}

func loadCRD(path string) *apiextensions.CustomResourceDefinition {
	raw, err := os.ReadFile(path)
	must(err)
	v1crd := &apiextensionsv1.CustomResourceDefinition{}
	must(yaml.UnmarshalStrict(raw, v1crd))
	apiextensionsv1.SetObjectDefaults_CustomResourceDefinition(v1crd)
	crd := &apiextensions.CustomResourceDefinition{}
	must(apiextensionsv1.Convert_v1_CustomResourceDefinition_To_apiextensions_CustomResourceDefinition(v1crd, crd, nil))
	return crd
}

func newChecker(crd *apiextensions.CustomResourceDefinition) *checker {
	props := crd.Spec.Validation
	if crd.Spec.Versions[0].Schema != nil {
		props = crd.Spec.Versions[0].Schema
	}
	ss, err := structuralschema.NewStructural(props.OpenAPIV3Schema)
	must(err)
	validator, _, err := apiservervalidation.NewSchemaValidator(props.OpenAPIV3Schema)
	must(err)
	return &checker{
		crd:        crd,
		structural: ss,
		schema:     validator,
		cel:        cel.NewValidator(ss, true, celconfig.PerCallLimit),
		namespaced: crd.Spec.Scope == apiextensions.NamespaceScoped,
	}
}

// hasBlockingErr is customResourceStrategy's rule: after these errors the CEL rules are skipped.
func hasBlockingErr(errs field.ErrorList) bool {
	for _, err := range errs {
		switch err.Type {
		case field.ErrorTypeNotSupported, field.ErrorTypeRequired, field.ErrorTypeTooLong, field.ErrorTypeTooMany, field.ErrorTypeTypeInvalid:
			return true
		}
	}
	return false
}

// create runs one object through what a create of a custom resource runs.
func (c *checker) create(ctx context.Context, in map[string]interface{}) (field.ErrorList, map[string]interface{}) {
	js, err := json.Marshal(in)
	must(err)
	var obj map[string]interface{}
	must(utiljson.Unmarshal(js, &obj)) // integers become int64, as in the API server
	if md, ok := obj["metadata"].(map[string]interface{}); ok && c.namespaced {
		md["namespace"] = "default"
	}
	structuralpruning.Prune(obj, c.structural, true)
	structuraldefaulting.PruneNonNullableNullsWithoutDefaults(obj, c.structural)
	structuraldefaulting.Default(obj, c.structural)
	u := &unstructured.Unstructured{Object: obj}
	errs := validation.ValidateObjectMetaAccessor(u, c.namespaced, validation.NameIsDNSSubdomain, field.NewPath("metadata"))
	errs = append(errs, apiservervalidation.ValidateCustomResource(nil, obj, c.schema)...)
	errs = append(errs, structurallisttype.ValidateListSetsAndMaps(nil, c.structural, obj)...)
	if !hasBlockingErr(errs) {
		celErrs, _ := c.cel.Validate(ctx, nil, c.structural, obj, nil, celconfig.RuntimeCELCostBudget)
		errs = append(errs, celErrs...)
	}
	return errs, obj
}

func expectationMet(f fixture, errs field.ErrorList) bool {
	if f.Valid {
		return len(errs) == 0
	}
	for _, e := range errs {
		if strings.HasPrefix(e.Error(), f.Field+": ") && strings.Contains(e.Error(), f.Message) {
			return true
		}
	}
	return false
}

func main() {
	ctx := context.Background()
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: crdcheck CRD.yaml [FIXTURES.yaml] [-dump]")
		os.Exit(2)
	}
	crd := loadCRD(os.Args[1])
	if errs := crdvalidation.ValidateCustomResourceDefinition(ctx, crd); len(errs) > 0 {
		for _, e := range errs {
			fmt.Fprintln(os.Stderr, "CRD:", e.Error())
		}
		os.Exit(1)
	}
	fmt.Fprintln(os.Stderr, "CRD accepted:", crd.Name)
	if len(os.Args) < 3 {
		return
	}
	dump := len(os.Args) > 3 && os.Args[3] == "-dump"
	raw, err := os.ReadFile(os.Args[2])
	must(err)
	var fixtures []fixture
	must(yaml.Unmarshal(raw, &fixtures))
	c := newChecker(crd)
	results := []result{}
	failed := 0
	for _, f := range fixtures {
		errs, obj := c.create(ctx, f.Object)
		r := result{Name: f.Name, Errors: []string{}, Defaulted: obj}
		for _, e := range errs {
			r.Errors = append(r.Errors, e.Error())
		}
		results = append(results, r)
		if !dump && !expectationMet(f, errs) {
			failed++
			fmt.Fprintf(os.Stderr, "MISMATCH %s: %v\n", f.Name, r.Errors)
		}
	}
	if dump {
		b, _ := json.MarshalIndent(results, "", "  ")
		fmt.Println(string(b))
		return
	}
	fmt.Fprintf(os.Stderr, "%d cases, %d mismatches\n", len(fixtures), failed)
	if failed > 0 {
		os.Exit(1)
	}
}
