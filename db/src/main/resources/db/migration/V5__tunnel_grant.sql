-- The tunnel the customer granted, kept while it lasts so it survives a reconnect of the agent
-- and a restart of the relay; cleared when it is revoked, denied or replaced.
alter table support_session add column tunnel_engineer varchar(64);
alter table support_session add column tunnel_expires_at timestamp with time zone;
