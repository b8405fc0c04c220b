-- shelf.sql: the running example for "PostgreSQL for Python Developers"
-- Runs on PostgreSQL 15 or newer. Safe to re-run: drops and recreates everything.
DROP TABLE IF EXISTS order_items, orders, customers, books, shops, jobs CASCADE;
DROP TYPE IF EXISTS order_status;

CREATE TABLE shops (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        text NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE books (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    shop_id       bigint NOT NULL REFERENCES shops (id),
    isbn          text,
    title         text NOT NULL,
    description   text NOT NULL DEFAULT '',
    price         numeric(10, 2) NOT NULL CHECK (price >= 0),
    stock         integer NOT NULL DEFAULT 0 CHECK (stock >= 0),
    tags          text[] NOT NULL DEFAULT '{}',
    attrs         jsonb NOT NULL DEFAULT '{}',
    published_on  date,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT books_shop_isbn_key UNIQUE (shop_id, isbn)
);
CREATE INDEX books_shop_id_idx ON books (shop_id);

CREATE TABLE customers (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    shop_id     bigint NOT NULL REFERENCES shops (id),
    email       text NOT NULL,
    name        text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX customers_shop_email_key ON customers (shop_id, lower(email));

CREATE TYPE order_status AS ENUM ('pending', 'paid', 'shipped', 'cancelled');

CREATE TABLE orders (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    shop_id      bigint NOT NULL REFERENCES shops (id),
    customer_id  bigint NOT NULL REFERENCES customers (id),
    status       order_status NOT NULL DEFAULT 'pending',
    placed_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX orders_customer_id_idx ON orders (customer_id);

CREATE TABLE order_items (
    order_id    bigint NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    book_id     bigint NOT NULL REFERENCES books (id),
    quantity    integer NOT NULL CHECK (quantity > 0),
    unit_price  numeric(10, 2) NOT NULL CHECK (unit_price >= 0),
    PRIMARY KEY (order_id, book_id)
);
CREATE INDEX order_items_book_id_idx ON order_items (book_id);

CREATE TABLE jobs (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind        text NOT NULL,
    payload     jsonb NOT NULL DEFAULT '{}',
    status      text NOT NULL DEFAULT 'queued'
                CHECK (status IN ('queued', 'running', 'done', 'failed')),
    attempts    integer NOT NULL DEFAULT 0,
    run_at      timestamptz NOT NULL DEFAULT now(),
    locked_at   timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX jobs_ready_idx ON jobs (run_at) WHERE status = 'queued';

-- Small, deterministic seed data
INSERT INTO shops (name) VALUES ('Riverside Books'), ('Night Owl Comics');

INSERT INTO books (shop_id, isbn, title, description, price, stock, tags, attrs, published_on) VALUES
 (1, '9780000000001', 'Learning SQL the Calm Way', 'A gentle introduction to relational databases and SQL.', 29.90, 12, '{sql,beginner}', '{"format": "paperback", "pages": 310}', '2024-03-01'),
 (1, '9780000000002', 'Python Data Pipelines', 'Building reliable ETL jobs with Python and PostgreSQL.', 44.00, 3, '{python,data}', '{"format": "ebook", "pages": 420}', '2025-06-15'),
 (1, '9780000000003', 'The Indexing Handbook', 'How database indexes work and when they help.', 39.50, 0, '{sql,performance}', '{"format": "hardcover", "pages": 280}', '2023-11-20'),
 (2, '9780000000004', 'Moonlit Detectives', 'A graphic novel about detectives who only work at night.', 18.00, 25, '{comics,mystery}', '{"format": "paperback", "pages": 160}', '2022-10-31');

INSERT INTO customers (shop_id, email, name) VALUES
 (1, 'ada@example.com', 'Ada'),
 (1, 'grace@example.com', 'Grace'),
 (2, 'linus@example.com', 'Linus');

INSERT INTO orders (shop_id, customer_id, status) VALUES (1, 1, 'paid'), (1, 2, 'pending'), (2, 3, 'shipped');
INSERT INTO order_items (order_id, book_id, quantity, unit_price) VALUES
 (1, 1, 1, 29.90), (1, 2, 2, 44.00), (2, 3, 1, 39.50), (3, 4, 3, 18.00);

INSERT INTO jobs (kind, payload) VALUES
 ('send_receipt', '{"order_id": 1}'), ('send_receipt', '{"order_id": 3}'), ('reindex_search', '{}');
