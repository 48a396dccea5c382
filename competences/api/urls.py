from rest_framework.routers import SimpleRouter

from competences.api import views

router = SimpleRouter()
router.register("competence-centres", views.CompetenceCentreViewSet, basename="competence-centre")
router.register("services", views.ServiceViewSet, basename="service")

urlpatterns = router.urls
