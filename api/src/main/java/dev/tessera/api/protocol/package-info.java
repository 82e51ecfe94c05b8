/**
 * The documents exchanged between the operator and the runner for one Attempt: {@link
 * dev.tessera.api.protocol.AttemptInput} goes to the runner Pod, {@link
 * dev.tessera.api.protocol.AttemptResult} comes back. Both carry an {@code apiVersion} so that an
 * operator and a runner image of different releases can tell whether they understand each other.
 */
package dev.tessera.api.protocol;
