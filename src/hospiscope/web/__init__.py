"""The web application: public portal and open-data API (one FastAPI application; every page
has its `.json` twin; one error shape). Reads the registry and the results layer only
(web/store.py), never writes to the warehouse."""
