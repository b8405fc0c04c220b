CREATE TABLE items (id int PRIMARY KEY, name text, price numeric(6,2));
INSERT INTO items VALUES (1, 'apple', 1.50), (2, NULL, 12.00), (3, 'cherry', NULL);
