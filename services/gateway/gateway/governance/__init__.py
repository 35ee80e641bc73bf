"""The governance workflow engine: bodies and members, versioned workflow definitions, instances,
stage decisions and votes, deadlines and escalation, and the hash-chained audit log.

Wired by ``gateway.definition`` (routers, event handlers, the scheduler daemon, commands); this
package itself wires nothing."""
