"""The quizzes, from `content/quizzes/`: What vs How, and Who does this?"""

from teamroles.ui import pages

pages.quiz()
