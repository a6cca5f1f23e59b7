-- The write path before the relay: row, event and NOTIFY in one statement inside the transaction.
\set n random(1, 10000)
BEGIN;
SELECT * FROM customers WHERE customer_id = (SELECT id FROM bench_ids WHERE n = :n) FOR UPDATE;
WITH written AS (
  UPDATE customers SET metadata = jsonb_build_object('bench', :n::int), version = version + 1, updated_at = now()
  WHERE customer_id = (SELECT id FROM bench_ids WHERE n = :n) RETURNING *
), event AS (
  INSERT INTO customer_events (customer_id, type, actor, request_id, changes)
  SELECT customer_id, 'customer.updated', 'bench', NULL, '{"metadata":{"from":{},"to":{}}}'::json FROM written
  RETURNING event_id, customer_id, type
), notified AS (
  SELECT pg_notify('customer_events', json_build_object('event_id', event_id, 'customer_id', customer_id, 'type', type)::text) AS sent FROM event
)
SELECT written.* FROM written, notified;
COMMIT;
