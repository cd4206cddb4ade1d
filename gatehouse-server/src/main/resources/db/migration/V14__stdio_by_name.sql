-- Stdio tool servers name a command the operator configured (gateway.stdioCommands), never argv (issue 13).
-- Earlier argv rows are dropped, not carried over: a server registered that way no longer starts until an admin
-- sets "stdio" to a configured name.
ALTER TABLE tool_servers ADD COLUMN stdio VARCHAR(64);
UPDATE tool_servers SET command_json = NULL;
