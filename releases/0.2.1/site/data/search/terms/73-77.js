NC.data("search/terms/73-77",{"switch":[178,251,280]});
