NC.data("search/terms/73-77",{"switch":[173,245,276]});
