/**
 * How a remote engine runs its commands and moves its files: on this machine ({@code LocalCommands}) or on
 * a login node over SSH ({@code SshCommands}, Apache MINA SSHD with key authentication and SFTP). Owns no
 * table; used only by the engines in {@code backend}.
 */
package org.escadrille.server.backend.remote;
