// xds-probe connects to an istiod's plaintext xDS port as a given proxy (a sidecar or a
// gateway) and prints, as one JSON object, the Envoy clusters istiod serves it with their
// endpoints (address, port, locality, priority, weights) and, when asked, its listeners with
// each filter chain's SNI names and TCP proxy cluster. It asks once (state of the world) and
// exits: 0 on success, 1 when istiod did not answer in time, 2 on bad flags. With --watch it
// keeps the stream open instead and prints one JSON line per push that changes what it prints
// (see watch.go), until istiod closes the stream or the process is stopped.
//
//	xds-probe --addr 127.0.0.1:15010 --type sidecar --ip 10.0.0.5 --pod client-1 --namespace payments \
//	  --cluster-id c1 --network net-east --region us-east --zone us-east-1a --labels '{"app":"client"}' \
//	  --clusters .global
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	cluster "github.com/envoyproxy/go-control-plane/envoy/config/cluster/v3"
	core "github.com/envoyproxy/go-control-plane/envoy/config/core/v3"
	endpoint "github.com/envoyproxy/go-control-plane/envoy/config/endpoint/v3"
	listener "github.com/envoyproxy/go-control-plane/envoy/config/listener/v3"
	tcpproxy "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/network/tcp_proxy/v3"
	discovery "github.com/envoyproxy/go-control-plane/envoy/service/discovery/v3"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/protobuf/types/known/anypb"
	"google.golang.org/protobuf/types/known/structpb"
)

const (
	clusterType  = "type.googleapis.com/envoy.config.cluster.v3.Cluster"
	endpointType = "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment"
	listenerType = "type.googleapis.com/envoy.config.listener.v3.Listener"
)

type options struct {
	addr, proxyType, ip, pod, namespace, domain string
	clusterID, network, region, zone, subzone   string
	labels, clusterFilter, istioVersion         string
	listeners, watch                            bool
	timeout                                     time.Duration
}

type locality struct {
	Region  string `json:"region"`
	Zone    string `json:"zone"`
	SubZone string `json:"subZone"`
}

type endpointOut struct {
	Address  string   `json:"address"`
	Port     uint32   `json:"port"`
	Locality locality `json:"locality"`
	Priority uint32   `json:"priority"`
	// LocalityWeight is the load-balancing weight of the endpoint's locality group (0 when unset).
	LocalityWeight uint32 `json:"localityWeight"`
	// Weight is the endpoint's own load-balancing weight (0 when unset).
	Weight uint32 `json:"weight"`
}

type clusterOut struct {
	Name      string        `json:"name"`
	Type      string        `json:"type"`
	Endpoints []endpointOut `json:"endpoints"`
}

type filterChainOut struct {
	ServerNames []string `json:"serverNames"`
	TCPCluster  string   `json:"tcpCluster,omitempty"`
}

type listenerOut struct {
	Name         string           `json:"name"`
	Port         uint32           `json:"port"`
	FilterChains []filterChainOut `json:"filterChains"`
}

type output struct {
	Node      string        `json:"node"`
	Clusters  []clusterOut  `json:"clusters"`
	Listeners []listenerOut `json:"listeners,omitempty"`
}

func parseFlags() options {
	var o options
	flag.StringVar(&o.addr, "addr", "127.0.0.1:15010", "istiod's plaintext xDS address")
	flag.StringVar(&o.proxyType, "type", "sidecar", "sidecar or router (a gateway)")
	flag.StringVar(&o.ip, "ip", "10.0.0.1", "the proxy's IP")
	flag.StringVar(&o.pod, "pod", "probe", "the proxy's pod name")
	flag.StringVar(&o.namespace, "namespace", "default", "the proxy's namespace")
	flag.StringVar(&o.domain, "domain", "cluster.local", "the cluster's DNS domain")
	flag.StringVar(&o.clusterID, "cluster-id", "Kubernetes", "CLUSTER_ID metadata")
	flag.StringVar(&o.network, "network", "", "NETWORK metadata")
	flag.StringVar(&o.region, "region", "", "locality region")
	flag.StringVar(&o.zone, "zone", "", "locality zone")
	flag.StringVar(&o.subzone, "subzone", "", "locality subzone")
	flag.StringVar(&o.labels, "labels", "{}", "the proxy's labels as a JSON object")
	flag.StringVar(&o.clusterFilter, "clusters", "", "print only clusters whose name contains this")
	flag.StringVar(&o.istioVersion, "istio-version", "1.31.0", "ISTIO_VERSION metadata")
	flag.BoolVar(&o.listeners, "listeners", false, "also ask for listeners (LDS)")
	flag.BoolVar(&o.watch, "watch", false, "stay connected and print one JSON line per change (clusters only)")
	flag.DurationVar(&o.timeout, "timeout", 20*time.Second, "how long to wait for each answer")
	flag.Parse()
	return o
}

func node(o options) (*core.Node, error) {
	labels := map[string]any{}
	if err := json.Unmarshal([]byte(o.labels), &labels); err != nil {
		return nil, fmt.Errorf("--labels: %w", err)
	}
	meta, err := structpb.NewStruct(map[string]any{
		"CLUSTER_ID": o.clusterID, "NETWORK": o.network, "NAMESPACE": o.namespace, "LABELS": labels,
		"ISTIO_VERSION": o.istioVersion, "INSTANCE_IPS": o.ip, "NAME": o.pod, "DNS_DOMAIN": o.namespace + ".svc." + o.domain,
	})
	if err != nil {
		return nil, err
	}
	id := fmt.Sprintf("%s~%s~%s.%s~%s.svc.%s", o.proxyType, o.ip, o.pod, o.namespace, o.namespace, o.domain)
	return &core.Node{Id: id, Metadata: meta, Locality: &core.Locality{Region: o.region, Zone: o.zone, SubZone: o.subzone}}, nil
}

type session struct {
	stream discovery.AggregatedDiscoveryService_StreamAggregatedResourcesClient
	node   *core.Node
	// answers carries every response the receiving goroutine reads.
	answers chan *discovery.DiscoveryResponse
	errs    chan error
	timeout time.Duration
}

func (s *session) receive() {
	for {
		res, err := s.stream.Recv()
		if err != nil {
			s.errs <- err
			return
		}
		s.answers <- res
	}
}

// ask sends one request and returns the first answer of that type, acknowledging it.
func (s *session) ask(typeURL string, names []string) ([]*anypb.Any, error) {
	if err := s.stream.Send(&discovery.DiscoveryRequest{Node: s.node, TypeUrl: typeURL, ResourceNames: names}); err != nil {
		return nil, err
	}
	deadline := time.After(s.timeout)
	for {
		select {
		case res := <-s.answers:
			ack := &discovery.DiscoveryRequest{Node: s.node, TypeUrl: res.TypeUrl, VersionInfo: res.VersionInfo, ResponseNonce: res.Nonce}
			if res.TypeUrl == typeURL {
				ack.ResourceNames = names
			}
			if err := s.stream.Send(ack); err != nil {
				return nil, err
			}
			if res.TypeUrl == typeURL {
				return res.Resources, nil
			}
		case err := <-s.errs:
			return nil, err
		case <-deadline:
			return nil, fmt.Errorf("no %s answer within %s", typeURL, s.timeout)
		}
	}
}

func endpointsOf(cla *endpoint.ClusterLoadAssignment) []endpointOut {
	out := []endpointOut{}
	if cla == nil {
		return out
	}
	for _, group := range cla.Endpoints {
		loc := locality{Region: group.GetLocality().GetRegion(), Zone: group.GetLocality().GetZone(), SubZone: group.GetLocality().GetSubZone()}
		for _, lb := range group.LbEndpoints {
			sock := lb.GetEndpoint().GetAddress().GetSocketAddress()
			out = append(out, endpointOut{
				Address: sock.GetAddress(), Port: sock.GetPortValue(), Locality: loc, Priority: group.Priority,
				LocalityWeight: group.GetLoadBalancingWeight().GetValue(), Weight: lb.GetLoadBalancingWeight().GetValue(),
			})
		}
	}
	return out
}

func clusters(s *session, filter string) ([]clusterOut, error) {
	resources, err := s.ask(clusterType, nil)
	if err != nil {
		return nil, err
	}
	out := []clusterOut{}
	edsNames := []string{}
	byEds := map[string]int{}
	for _, any := range resources {
		c := &cluster.Cluster{}
		if err := any.UnmarshalTo(c); err != nil {
			return nil, err
		}
		if !strings.Contains(c.Name, filter) {
			continue
		}
		kind := c.GetType().String()
		out = append(out, clusterOut{Name: c.Name, Type: kind, Endpoints: endpointsOf(c.LoadAssignment)})
		if kind == "EDS" {
			name := c.GetEdsClusterConfig().GetServiceName()
			if name == "" {
				name = c.Name
			}
			byEds[name] = len(out) - 1
			edsNames = append(edsNames, name)
		}
	}
	if len(edsNames) == 0 {
		return out, nil
	}
	assignments, err := s.ask(endpointType, edsNames)
	if err != nil {
		return nil, err
	}
	for _, any := range assignments {
		cla := &endpoint.ClusterLoadAssignment{}
		if err := any.UnmarshalTo(cla); err != nil {
			return nil, err
		}
		if i, ok := byEds[cla.ClusterName]; ok {
			out[i].Endpoints = endpointsOf(cla)
		}
	}
	return out, nil
}

func listeners(s *session) ([]listenerOut, error) {
	resources, err := s.ask(listenerType, nil)
	if err != nil {
		return nil, err
	}
	out := []listenerOut{}
	for _, any := range resources {
		l := &listener.Listener{}
		if err := any.UnmarshalTo(l); err != nil {
			return nil, err
		}
		lo := listenerOut{Name: l.Name, Port: l.GetAddress().GetSocketAddress().GetPortValue(), FilterChains: []filterChainOut{}}
		for _, chain := range l.FilterChains {
			fc := filterChainOut{ServerNames: append([]string{}, chain.GetFilterChainMatch().GetServerNames()...)}
			for _, f := range chain.Filters {
				tcp := &tcpproxy.TcpProxy{}
				if f.GetTypedConfig() != nil && f.GetTypedConfig().MessageIs(tcp) && f.GetTypedConfig().UnmarshalTo(tcp) == nil {
					fc.TCPCluster = tcp.GetCluster()
				}
			}
			lo.FilterChains = append(lo.FilterChains, fc)
		}
		out = append(out, lo)
	}
	return out, nil
}

// connect opens an ADS stream to istiod as the proxy; close ends it.
func connect(o options) (s *session, close func(), err error) {
	n, err := node(o)
	if err != nil {
		return nil, nil, err
	}
	conn, err := grpc.NewClient(o.addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return nil, nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	stream, err := discovery.NewAggregatedDiscoveryServiceClient(conn).StreamAggregatedResources(ctx)
	if err != nil {
		cancel()
		conn.Close()
		return nil, nil, err
	}
	s = &session{stream: stream, node: n, answers: make(chan *discovery.DiscoveryResponse, 16), errs: make(chan error, 1), timeout: o.timeout}
	go s.receive()
	return s, func() { cancel(); conn.Close() }, nil
}

func probe(o options) (*output, error) {
	s, closeStream, err := connect(o)
	if err != nil {
		return nil, err
	}
	defer closeStream()
	out := &output{Node: s.node.Id}
	if out.Clusters, err = clusters(s, o.clusterFilter); err != nil {
		return nil, err
	}
	if o.listeners {
		if out.Listeners, err = listeners(s); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func main() {
	o := parseFlags()
	if o.proxyType != "sidecar" && o.proxyType != "router" {
		fmt.Fprintln(os.Stderr, "--type must be sidecar or router")
		os.Exit(2)
	}
	if o.watch {
		if err := watch(o, json.NewEncoder(os.Stdout)); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}
	out, err := probe(o)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
