"""Classroom sessions: a presenter drives, students follow, guided tours with quizzes."""
