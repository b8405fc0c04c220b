-- shelf-bulk.sql: load after shelf.sql
INSERT INTO books (shop_id, isbn, title, description, price, stock, tags, attrs, published_on)
SELECT 1 + (g % 2),
       '978' || lpad(g::text, 10, '0'),
       'Generated Book ' || g,
       'Generated description number ' || g,
       5 + (g % 4500) / 100.0,
       g % 20,
       ARRAY['generated'],
       jsonb_build_object('format', CASE WHEN g % 3 = 0 THEN 'ebook' ELSE 'paperback' END),
       date '2000-01-01' + (g % 9000)
FROM generate_series(1000, 200999) AS g;
ANALYZE books;
