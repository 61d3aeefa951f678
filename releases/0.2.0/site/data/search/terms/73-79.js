NC.data("search/terms/73-79",{"syria":[22,75,90,212]});
