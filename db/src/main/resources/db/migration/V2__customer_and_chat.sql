-- The customer side of a session: the agent's bound key, its mode and where it connects from;
-- and the chat transcript.

alter table support_session
    add column mode                     varchar(16) check (mode in ('RESTRICTED', 'SHARE', 'TUNNEL')),
    add column customer_key_fingerprint varchar(100),
    add column customer_host            varchar(255),
    add column customer_address         varchar(128);

create table chat_message (
    id          bigserial     primary key,
    session_id  varchar(64)   not null references support_session (id),
    author      varchar(64)   not null,
    sent_at     timestamptz   not null,
    text        varchar(2000) not null
);
create index chat_message_session on chat_message (session_id, id);
