-- The write path with the relay: the row and its event, no NOTIFY (the relay publishes after commit).
\set n random(1, 10000)
BEGIN;
SELECT * FROM customers WHERE customer_id = (SELECT id FROM bench_ids WHERE n = :n) FOR UPDATE;
UPDATE customers SET metadata = jsonb_build_object('bench', :n::int), version = version + 1, updated_at = CURRENT_TIMESTAMP
  WHERE customer_id = (SELECT id FROM bench_ids WHERE n = :n) RETURNING version, updated_at;
INSERT INTO customer_events (customer_id, type, actor, request_id, changes)
  VALUES ((SELECT id FROM bench_ids WHERE n = :n), 'customer.updated', 'bench', NULL, '{"metadata":{"from":{},"to":{}}}'::json)
  RETURNING event_id, sequence, transaction_id, created_at;
COMMIT;
