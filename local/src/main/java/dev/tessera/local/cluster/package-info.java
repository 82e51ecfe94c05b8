/**
 * The cluster half of local mode: an embedded Kubernetes API that kubectl and the operator can use,
 * owner-reference garbage collection, and a local executor that runs Pods as local processes.
 */
package dev.tessera.local.cluster;
