"""The library of standard positions (after 《中小学岗位安全工作指南》). The rows are loaded by
migration orgs/0002; the bureau may add more. Codes used in code live here."""

PRINCIPAL = "principal"
SAFETY_OFFICER = "safety_officer"
CLASS_TEACHER = "class_teacher"
TEACHER = "teacher"
GUARD = "guard"
