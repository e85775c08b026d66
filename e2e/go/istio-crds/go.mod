// Pins istio.io/api, whose kubernetes/customresourcedefinitions.gen.yaml holds Istio's real
// CRDs. The e2e harness finds it with `go mod download -json istio.io/api@<version>`; the
// file is never copied into this repository. Nothing here is built.
module meridian.dev/e2e/istio-crds

go 1.24.0

require istio.io/api v1.31.1

require (
	github.com/golang/protobuf v1.5.4 // indirect
	google.golang.org/genproto/googleapis/api v0.0.0-20251213004720-97cd9d5aeac2 // indirect
	google.golang.org/protobuf v1.36.11 // indirect
)
