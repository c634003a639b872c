/**
 * The streets the meter books serve, learnt from the accounts in them: on each street the book with the most
 * accounts serves it. Streets that already have a book keep it (a utility's own assignment wins). Run by the
 * cases migration and after the demo accounts are seeded.
 */
export const BOOK_AREAS_SQL = `
  INSERT INTO cis.meter_book_areas (district, street, book_id)
  SELECT DISTINCT ON (p.district, p.street) p.district, p.street, a.book_id
  FROM cis.accounts a JOIN cis.premises p ON p.id = a.premise_id
  GROUP BY p.district, p.street, a.book_id
  ORDER BY p.district, p.street, count(*) DESC, a.book_id
  ON CONFLICT (district, street) DO NOTHING`;
