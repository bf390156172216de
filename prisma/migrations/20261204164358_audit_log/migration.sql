-- CreateEnum
CREATE TYPE "AuditActorKind" AS ENUM ('ADMIN_TOKEN', 'ADMIN_SECRET', 'REGISTRANT', 'SYSTEM');

-- AlterEnum
ALTER TYPE "AdminScope" ADD VALUE 'READ_AUDIT';

-- CreateTable
CREATE TABLE "AuditEntry" (
    "id" SERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorKind" "AuditActorKind" NOT NULL,
    "actorId" TEXT,
    "actorName" TEXT,
    "action" TEXT NOT NULL,
    "eventId" TEXT,
    "targetId" TEXT NOT NULL,
    "changes" JSONB NOT NULL,

    CONSTRAINT "AuditEntry_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AuditEntry_eventId_id_idx" ON "AuditEntry"("eventId", "id");

-- CreateIndex
CREATE INDEX "AuditEntry_actorId_id_idx" ON "AuditEntry"("actorId", "id");

-- Written by hand (Prisma expresses no triggers). The audit log is append-only: the database
-- itself refuses to change or remove an entry, whoever asks.
CREATE FUNCTION audit_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit log is append-only: % on "AuditEntry" refused', TG_OP;
END $$;
CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON "AuditEntry" FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only();
CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON "AuditEntry" FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_append_only();

-- One entry per record changed, in the change's own transaction, when the transaction says who
-- acts (the setting audit.actor, set by src/db/audit.ts as the transaction begins): an admin or a
-- script. A transaction that says nothing (a registrant's own change, a mail job) records only the
-- promotions from the waiting list it causes, as the system's. The first argument names the record in `action`, the second
-- its GraphQL type. Fields left empty by a create or a delete are not listed. Secrets, manage tokens and join links are recorded as changed, never by value;
-- an email only when it is what changed.
CREATE FUNCTION audit_row() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  actor jsonb := nullif(current_setting('audit.actor', true), '')::jsonb;
  old_row jsonb;
  new_row jsonb;
  row_ jsonb;
  changes jsonb := '{}';
  prefix text := '';
  field text;
  action text := TG_ARGV[0] || '.' || lower(CASE TG_OP WHEN 'INSERT' THEN 'create' ELSE TG_OP END);
  target text;
  event_id text;
BEGIN
  -- Registrations write the most: without an actor, anything but a session choice's update is let by at once.
  IF actor IS NULL AND (TG_TABLE_NAME <> 'SessionRegistration' OR TG_OP <> 'UPDATE') THEN RETURN NULL; END IF;
  old_row := CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END;
  new_row := CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END;
  row_ := coalesce(new_row, old_row);
  IF TG_TABLE_NAME = 'SessionRegistration' AND old_row->>'status' = 'WAITLISTED' AND new_row->>'status' = 'CONFIRMED' THEN
    action := 'registration.promote';
    actor := coalesce(actor, '{"kind": "SYSTEM", "name": "waiting list"}');
  ELSIF actor IS NULL THEN
    RETURN NULL;
  END IF;
  IF TG_TABLE_NAME = 'Registration' AND new_row->>'approval' IS DISTINCT FROM old_row->>'approval' AND TG_OP = 'UPDATE' THEN
    action := CASE new_row->>'approval' WHEN 'APPROVED' THEN 'registration.approve' WHEN 'DECLINED' THEN 'registration.decline' ELSE action END;
  ELSIF TG_TABLE_NAME = 'AdminToken' AND old_row->>'revokedAt' IS NULL AND new_row->>'revokedAt' IS NOT NULL THEN
    action := 'token.revoke';
  END IF;

  -- A session's panelists and a registration's sessions are told under their parent.
  IF TG_TABLE_NAME = 'SessionRegistration' THEN
    target := encode(convert_to('Registration:' || (row_->>'registrationId'), 'UTF8'), 'base64');
    prefix := 'sessions[' || encode(convert_to('Session:' || (row_->>'sessionId'), 'UTF8'), 'base64') || '].';
    SELECT "eventId" INTO event_id FROM "Registration" WHERE id = row_->>'registrationId';
  ELSIF TG_TABLE_NAME = 'SessionPanelist' THEN
    target := encode(convert_to('Session:' || (row_->>'sessionId'), 'UTF8'), 'base64');
    prefix := 'panelists[' || (row_->>'id') || '].';
    SELECT "eventId" INTO event_id FROM "Session" WHERE id = row_->>'sessionId';
  ELSE
    target := encode(convert_to(TG_ARGV[1] || ':' || (row_->>'id'), 'UTF8'), 'base64');
    IF TG_TABLE_NAME = 'Event' THEN event_id := row_->>'id';
    ELSIF TG_TABLE_NAME = 'Part' THEN SELECT "eventId" INTO event_id FROM "Session" WHERE id = row_->>'sessionId';
    ELSIF TG_TABLE_NAME = 'Message' THEN SELECT "eventId" INTO event_id FROM "Registration" WHERE id = row_->>'registrationId';
    ELSE event_id := row_->>'eventId';
    END IF;
  END IF;

  FOR field IN SELECT jsonb_object_keys(row_) LOOP
    -- Bookkeeping the write itself does (a revision or iCalendar SEQUENCE rising) is no change of its own.
    CONTINUE WHEN field IN ('id', 'createdAt', 'updatedAt', 'revision', 'notifiedRevision', 'sequence')
      OR coalesce(old_row->field, 'null') = coalesce(new_row->field, 'null');
    CONTINUE WHEN field = 'email' AND TG_OP <> 'UPDATE';
    IF field IN ('tokenHash', 'manageTokenHash', 'zoomJoinUrl', 'joinUrlHash') THEN
      changes := changes || jsonb_build_object(prefix || field, jsonb_build_object(
        'before', CASE WHEN old_row->>field IS NULL THEN NULL ELSE '"(hidden)"'::jsonb END,
        'after', CASE WHEN new_row->>field IS NULL THEN NULL ELSE '"(hidden)"'::jsonb END));
    ELSE
      changes := changes || jsonb_build_object(prefix || field, jsonb_build_object('before', old_row->field, 'after', new_row->field));
    END IF;
  END LOOP;
  IF changes = '{}' THEN RETURN NULL; END IF;
  INSERT INTO "AuditEntry" ("actorKind", "actorId", "actorName", "action", "eventId", "targetId", "changes")
  VALUES ((actor->>'kind')::"AuditActorKind", actor->>'id', actor->>'name', action, event_id, target, changes);
  RETURN NULL;
END $$;

CREATE TRIGGER audit_row AFTER INSERT OR UPDATE OR DELETE ON "Event" FOR EACH ROW EXECUTE FUNCTION audit_row('event', 'Event');
CREATE TRIGGER audit_row AFTER INSERT OR UPDATE OR DELETE ON "Session" FOR EACH ROW EXECUTE FUNCTION audit_row('session', 'Session');
CREATE TRIGGER audit_row AFTER INSERT OR UPDATE OR DELETE ON "Part" FOR EACH ROW EXECUTE FUNCTION audit_row('part', 'Part');
CREATE TRIGGER audit_row AFTER INSERT OR UPDATE OR DELETE ON "Break" FOR EACH ROW EXECUTE FUNCTION audit_row('break', 'Break');
CREATE TRIGGER audit_row AFTER INSERT OR UPDATE OR DELETE ON "Panelist" FOR EACH ROW EXECUTE FUNCTION audit_row('panelist', 'Panelist');
CREATE TRIGGER audit_row AFTER INSERT OR UPDATE OR DELETE ON "SessionPanelist" FOR EACH ROW EXECUTE FUNCTION audit_row('session.panelist', 'Session');
CREATE TRIGGER audit_row AFTER INSERT OR UPDATE OR DELETE ON "Document" FOR EACH ROW EXECUTE FUNCTION audit_row('document', 'Document');
CREATE TRIGGER audit_row AFTER INSERT OR UPDATE OR DELETE ON "MechanismType" FOR EACH ROW EXECUTE FUNCTION audit_row('mechanismType', 'MechanismType');
CREATE TRIGGER audit_row AFTER INSERT OR UPDATE OR DELETE ON "AdminToken" FOR EACH ROW EXECUTE FUNCTION audit_row('token', 'AdminToken');
CREATE TRIGGER audit_row AFTER INSERT OR UPDATE OR DELETE ON "Registration" FOR EACH ROW EXECUTE FUNCTION audit_row('registration', 'Registration');
CREATE TRIGGER audit_row AFTER INSERT OR UPDATE OR DELETE ON "SessionRegistration" FOR EACH ROW EXECUTE FUNCTION audit_row('registration.session', 'Registration');
CREATE TRIGGER audit_row AFTER INSERT OR UPDATE OR DELETE ON "Message" FOR EACH ROW EXECUTE FUNCTION audit_row('message', 'Message');
