-- Relay foundation: support engineers and their SSH keys, support sessions, HTTP users,
-- and the append-only, hash-chained audit log.

create table engineer (
    id          bigserial    primary key,
    name        varchar(64)  not null unique,
    created_at  timestamptz  not null
);

create table support_key (
    id           bigserial    primary key,
    engineer_id  bigint       not null references engineer (id),
    fingerprint  varchar(100) not null,
    key_type     varchar(64)  not null,
    public_key   text         not null,
    comment      varchar(255),
    added_at     timestamptz  not null,
    revoked_at   timestamptz
);
-- One live registration per key; a revoked key may be registered again later.
create unique index support_key_active_fingerprint on support_key (fingerprint) where revoked_at is null;
create index support_key_engineer on support_key (engineer_id);

create table support_session (
    id                      varchar(64)  primary key,
    state                   varchar(16)  not null
                            check (state in ('WAITING', 'ACTIVE', 'RECONNECTING', 'CLOSED')),
    case_number             varchar(64),
    note                    varchar(500),
    created_by              varchar(64)  not null,
    created_at              timestamptz  not null,
    claim_deadline          timestamptz  not null,
    claimed_at              timestamptz,
    closed_at               timestamptz,
    close_reason            varchar(32),
    version                 bigint       not null default 0
);
create index support_session_open on support_session (state) where state <> 'CLOSED';

create table http_user (
    id             bigserial    primary key,
    username       varchar(64)  not null unique,
    password_hash  varchar(255) not null,
    role           varchar(16)  not null check (role in ('ADMIN', 'AUDITOR')),
    created_at     timestamptz  not null
);

create table audit_event (
    id              bigserial    primary key,
    occurred_at     timestamptz  not null,
    type            varchar(64)  not null,
    actor           varchar(128),
    source_address  varchar(128),
    session_id      varchar(64),
    reason          varchar(64),
    details         text,
    prev_hash       char(64)     not null,
    hash            char(64)     not null unique
);
create index audit_event_session on audit_event (session_id);
create index audit_event_type on audit_event (type);

-- The audit log is append-only for everyone who goes through the table's triggers,
-- the relay's own database user included.
create function audit_event_refuse_change() returns trigger
    language plpgsql as
$$
begin
    raise exception 'audit_event is append-only: % refused', tg_op
        using errcode = 'insufficient_privilege';
end;
$$;

create trigger audit_event_no_update_delete
    before update or delete on audit_event
    for each row execute function audit_event_refuse_change();

create trigger audit_event_no_truncate
    before truncate on audit_event
    for each statement execute function audit_event_refuse_change();
