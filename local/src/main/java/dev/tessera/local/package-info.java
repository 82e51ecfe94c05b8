/**
 * Tessera on a laptop: runs automations with the real runner, real Chromium and the demo site,
 * without a cluster.
 */
package dev.tessera.local;
