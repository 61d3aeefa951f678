NC.data("search/terms/73-79",{"syria":[22,93,109,218]});
