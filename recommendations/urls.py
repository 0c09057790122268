from django.urls import path
from django.views.generic import TemplateView

from . import views

app_name = "recommendations"

urlpatterns = [
    path("", views.recommended, name="list"),
    path("how-it-works/", TemplateView.as_view(template_name="recommendations/how_it_works.html"), name="how"),
    path("open/<int:article_id>/", views.open_recommended, name="open"),
    path("not-interested/<int:article_id>/", views.not_interested, name="not_interested"),
    path("pause/<int:tag_id>/", views.pause_topic, name="pause_topic"),
    path("survey/", views.survey, name="survey"),
]
