-- When a session's agent connection was lost (state RECONNECTING); a session that waits longer
-- than tunl.session.reconnect-timeout is closed.
alter table support_session add column disconnected_at timestamp with time zone;
