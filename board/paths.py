"""The canonical paths of the board's pages (with their trailing slash; the routes also match without)."""


def job_page_path(job_id: int) -> str:
    return f"/jobs/{job_id}/"


def careers_page_path(company_id: int) -> str:
    return f"/board/{company_id}/"
