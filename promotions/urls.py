from django.urls import path

from . import views

app_name = "promotions"

urlpatterns = [
    path("<int:pk>/go/", views.go, name="go"),
]
