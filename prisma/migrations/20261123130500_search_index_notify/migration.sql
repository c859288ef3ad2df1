-- Wakes the search indexer as soon as a change is committed: every INSERT into the outbox
-- ("SearchIndexTask") sends a NOTIFY on the channel "search_index_task". PostgreSQL delivers it only
-- after COMMIT (a rolled-back change wakes nobody) and folds identical notifications of one transaction
-- into one, and the trigger is per statement, so a bulk enqueue of 10,000 circulars is a single wake-up.
-- The job runner (server/jobs/search-index-trigger.ts) LISTENs on this channel; where LISTEN does not
-- reach across connections (the embedded PGlite behind its socket), it polls the outbox instead.
CREATE OR REPLACE FUNCTION "search_index_task_notify"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('search_index_task', '');
  RETURN NULL;
END;
$$;

CREATE TRIGGER "SearchIndexTask_notify"
AFTER INSERT ON "SearchIndexTask"
FOR EACH STATEMENT EXECUTE FUNCTION "search_index_task_notify"();
