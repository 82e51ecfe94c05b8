/**
 * The Tessera operator: reconcilers for Runs, AuthSessions, Jobs and JobRuns, the attempt Pods they
 * create, the per-session Lease locks and the results endpoint runner Pods report to.
 */
package dev.tessera.operator;
