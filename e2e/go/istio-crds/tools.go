//go:build tools

// Package tools records the istio.io/api dependency; see go.mod.
package tools

import _ "istio.io/api/networking/v1"
