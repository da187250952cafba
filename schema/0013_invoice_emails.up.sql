-- notifier: remember which invoice an e-mail was about.
-- This ties notifier's rows to billing's invoices: Steward flags it.
ALTER TABLE outbound_emails ADD COLUMN invoice_id bigint;
ALTER TABLE outbound_emails
    ADD CONSTRAINT outbound_emails_invoice_id_fkey FOREIGN KEY (invoice_id) REFERENCES billing.invoices (id);
