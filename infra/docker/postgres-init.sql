-- Run once by the postgres:16 image on an empty data volume
-- (/docker-entrypoint-initdb.d), as the image's superuser. Mirrors what
-- infra/start.sh does on a machine: one login role and the five databases it owns.
CREATE ROLE registrar WITH LOGIN CREATEDB PASSWORD 'registrar';
CREATE DATABASE registrar_student OWNER registrar;
CREATE DATABASE registrar_module OWNER registrar;
CREATE DATABASE registrar_registration OWNER registrar;
CREATE DATABASE registrar_payment OWNER registrar;
CREATE DATABASE registrar_identity OWNER registrar;
