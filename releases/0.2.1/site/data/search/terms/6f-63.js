NC.data("search/terms/6f-63",{"occupied":[62,264,276],"october":[124,229]});
