// Command etcd is the upstream etcd server, built from source so that Meridian's e2e
// tests can run real control planes as local processes.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
