package main

// The --watch mode: one ADS stream kept open, subscribed to every cluster (CDS) and to the
// endpoints (EDS) of the EDS clusters it prints. Every response is acknowledged; whenever the
// printed view changes, one line {"atMs": <Unix ms when the push arrived>, "clusters": [...]}
// goes to stdout. The receive time lets a caller time "change made" → "sidecar config pushed"
// on one clock.

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	cluster "github.com/envoyproxy/go-control-plane/envoy/config/cluster/v3"
	endpoint "github.com/envoyproxy/go-control-plane/envoy/config/endpoint/v3"
	discovery "github.com/envoyproxy/go-control-plane/envoy/service/discovery/v3"
)

type watchLine struct {
	AtMs     float64      `json:"atMs"`
	Clusters []clusterOut `json:"clusters"`
}

type watchView struct {
	filter string
	// clusters by name, as last served.
	clusters map[string]clusterOut
	// edsCluster maps an EDS service name to the cluster it fills.
	edsCluster map[string]string
	// edsNames is the EDS subscription in force.
	edsNames []string
	// edsVersion and edsNonce acknowledge the last EDS answer when the subscription changes.
	edsVersion, edsNonce string
}

func watch(o options, enc *json.Encoder) error {
	s, closeStream, err := connect(o)
	if err != nil {
		return err
	}
	defer closeStream()
	if err := s.stream.Send(&discovery.DiscoveryRequest{Node: s.node, TypeUrl: clusterType}); err != nil {
		return err
	}
	v := &watchView{filter: o.clusterFilter, clusters: map[string]clusterOut{}, edsCluster: map[string]string{}}
	printed := ""
	for {
		select {
		case res := <-s.answers:
			at := float64(time.Now().UnixMicro()) / 1000
			if err := v.apply(s, res); err != nil {
				return err
			}
			line := v.sorted()
			text, err := json.Marshal(line)
			if err != nil {
				return err
			}
			if string(text) != printed {
				printed = string(text)
				if err := enc.Encode(watchLine{AtMs: at, Clusters: line}); err != nil {
					return err
				}
			}
		case err := <-s.errs:
			return fmt.Errorf("istiod closed the stream: %w", err)
		}
	}
}

// apply folds one response into the view, acknowledges it, and follows a changed EDS subscription.
func (v *watchView) apply(s *session, res *discovery.DiscoveryResponse) error {
	ack := &discovery.DiscoveryRequest{Node: s.node, TypeUrl: res.TypeUrl, VersionInfo: res.VersionInfo, ResponseNonce: res.Nonce}
	switch res.TypeUrl {
	case clusterType:
		if err := v.applyClusters(res); err != nil {
			return err
		}
		if err := s.stream.Send(ack); err != nil {
			return err
		}
		return v.subscribeEndpoints(s)
	case endpointType:
		if err := v.applyEndpoints(res); err != nil {
			return err
		}
		v.edsVersion, v.edsNonce = res.VersionInfo, res.Nonce
		ack.ResourceNames = v.edsNames
	}
	return s.stream.Send(ack)
}

func (v *watchView) applyClusters(res *discovery.DiscoveryResponse) error {
	next := map[string]clusterOut{}
	v.edsCluster = map[string]string{}
	for _, any := range res.Resources {
		c := &cluster.Cluster{}
		if err := any.UnmarshalTo(c); err != nil {
			return err
		}
		if !strings.Contains(c.Name, v.filter) {
			continue
		}
		kind := c.GetType().String()
		out := clusterOut{Name: c.Name, Type: kind, Endpoints: endpointsOf(c.LoadAssignment)}
		if kind == "EDS" {
			name := c.GetEdsClusterConfig().GetServiceName()
			if name == "" {
				name = c.Name
			}
			v.edsCluster[name] = c.Name
			// Keep the endpoints already served until EDS says otherwise.
			if previous, ok := v.clusters[c.Name]; ok {
				out.Endpoints = previous.Endpoints
			}
		}
		next[c.Name] = out
	}
	v.clusters = next
	return nil
}

func (v *watchView) applyEndpoints(res *discovery.DiscoveryResponse) error {
	for _, any := range res.Resources {
		cla := &endpoint.ClusterLoadAssignment{}
		if err := any.UnmarshalTo(cla); err != nil {
			return err
		}
		if name, ok := v.edsCluster[cla.ClusterName]; ok {
			c := v.clusters[name]
			c.Endpoints = endpointsOf(cla)
			v.clusters[name] = c
		}
	}
	return nil
}

// subscribeEndpoints asks for the EDS clusters of the view when that set changed.
func (v *watchView) subscribeEndpoints(s *session) error {
	names := make([]string, 0, len(v.edsCluster))
	for name := range v.edsCluster {
		names = append(names, name)
	}
	slices.Sort(names)
	if slices.Equal(names, v.edsNames) {
		return nil
	}
	v.edsNames = names
	return s.stream.Send(&discovery.DiscoveryRequest{Node: s.node, TypeUrl: endpointType, ResourceNames: names, VersionInfo: v.edsVersion, ResponseNonce: v.edsNonce})
}

func (v *watchView) sorted() []clusterOut {
	out := make([]clusterOut, 0, len(v.clusters))
	for _, c := range v.clusters {
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b clusterOut) int { return strings.Compare(a.Name, b.Name) })
	return out
}
