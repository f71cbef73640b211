"""Official documents (Decree 30/2020/ND-CP layout) as DOCX and PDF, for any area to issue."""
