-- collector: a repository belongs to an organization (documented exception in ownership.yml).
ALTER TABLE repositories
    ADD CONSTRAINT repositories_organization_id_fkey FOREIGN KEY (organization_id)
    REFERENCES organizations (id) NOT VALID;
ALTER TABLE repositories VALIDATE CONSTRAINT repositories_organization_id_fkey;
